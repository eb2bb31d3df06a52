# Generated from ui/import_preview_page.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_preview_page.ui'
##
## Created by: Qt User Interface Compiler
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QHBoxLayout,
    QHeaderView, QLabel, QSizePolicy, QSpacerItem,
    QTableView, QVBoxLayout, QWidget, QWizardPage)

class Ui_ImportPreviewPage(object):
    def setupUi(self, ImportPreviewPage):
        if not ImportPreviewPage.objectName():
            ImportPreviewPage.setObjectName(u"ImportPreviewPage")
        self.pageLayout = QVBoxLayout(ImportPreviewPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.choicesRow = QHBoxLayout()
        self.choicesRow.setObjectName(u"choicesRow")
        self.encodingLabel = QLabel(ImportPreviewPage)
        self.encodingLabel.setObjectName(u"encodingLabel")

        self.choicesRow.addWidget(self.encodingLabel)

        self.encodingCombo = QComboBox(ImportPreviewPage)
        self.encodingCombo.setObjectName(u"encodingCombo")

        self.choicesRow.addWidget(self.encodingCombo)

        self.encodingSpace = QSpacerItem(16, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)

        self.choicesRow.addItem(self.encodingSpace)

        self.delimiterLabel = QLabel(ImportPreviewPage)
        self.delimiterLabel.setObjectName(u"delimiterLabel")

        self.choicesRow.addWidget(self.delimiterLabel)

        self.delimiterCombo = QComboBox(ImportPreviewPage)
        self.delimiterCombo.setObjectName(u"delimiterCombo")

        self.choicesRow.addWidget(self.delimiterCombo)

        self.delimiterSpace = QSpacerItem(16, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)

        self.choicesRow.addItem(self.delimiterSpace)

        self.detectedLabel = QLabel(ImportPreviewPage)
        self.detectedLabel.setObjectName(u"detectedLabel")

        self.choicesRow.addWidget(self.detectedLabel)

        self.choicesRow.setStretch(6, 1)

        self.pageLayout.addLayout(self.choicesRow)

        self.previousImportLabel = QLabel(ImportPreviewPage)
        self.previousImportLabel.setObjectName(u"previousImportLabel")
        self.previousImportLabel.setVisible(False)

        self.pageLayout.addWidget(self.previousImportLabel)

        self.errorLabel = QLabel(ImportPreviewPage)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setVisible(False)

        self.pageLayout.addWidget(self.errorLabel)

        self.previewStatusLabel = QLabel(ImportPreviewPage)
        self.previewStatusLabel.setObjectName(u"previewStatusLabel")
        self.previewStatusLabel.setVisible(False)

        self.pageLayout.addWidget(self.previewStatusLabel)

        self.previewTable = QTableView(ImportPreviewPage)
        self.previewTable.setObjectName(u"previewTable")
        self.previewTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.previewTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.previewTable.setWordWrap(False)
        self.previewTable.horizontalHeader().setMinimumSectionSize(60)

        self.pageLayout.addWidget(self.previewTable)

        self.pageLayout.setStretch(4, 1)
#if QT_CONFIG(shortcut)
        self.encodingLabel.setBuddy(self.encodingCombo)
        self.delimiterLabel.setBuddy(self.delimiterCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ImportPreviewPage)

        QMetaObject.connectSlotsByName(ImportPreviewPage)
    # setupUi

    def retranslateUi(self, ImportPreviewPage):
        ImportPreviewPage.setTitle(QCoreApplication.translate("ImportPreviewPage", u"Check how the file reads", None))
        ImportPreviewPage.setSubTitle(QCoreApplication.translate("ImportPreviewPage", u"The first rows, as detected. If the columns look wrong, change the encoding or the delimiter.", None))
        self.encodingLabel.setText(QCoreApplication.translate("ImportPreviewPage", u"&Encoding:", None))
        self.delimiterLabel.setText(QCoreApplication.translate("ImportPreviewPage", u"&Delimiter:", None))
    # retranslateUi

