# Generated from ui/import_mapping_page.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_mapping_page.ui'
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
    QHeaderView, QLabel, QPushButton, QSizePolicy,
    QSpacerItem, QTableView, QVBoxLayout, QWidget,
    QWizardPage)

class Ui_ImportMappingPage(object):
    def setupUi(self, ImportMappingPage):
        if not ImportMappingPage.objectName():
            ImportMappingPage.setObjectName(u"ImportMappingPage")
        self.pageLayout = QVBoxLayout(ImportMappingPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.savedRow = QHBoxLayout()
        self.savedRow.setObjectName(u"savedRow")
        self.savedMappingLabel = QLabel(ImportMappingPage)
        self.savedMappingLabel.setObjectName(u"savedMappingLabel")

        self.savedRow.addWidget(self.savedMappingLabel)

        self.savedMappingCombo = QComboBox(ImportMappingPage)
        self.savedMappingCombo.setObjectName(u"savedMappingCombo")
        self.savedMappingCombo.setMinimumContentsLength(24)

        self.savedRow.addWidget(self.savedMappingCombo)

        self.savedRowSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.savedRow.addItem(self.savedRowSpace)

        self.saveMappingButton = QPushButton(ImportMappingPage)
        self.saveMappingButton.setObjectName(u"saveMappingButton")
        self.saveMappingButton.setAutoDefault(False)

        self.savedRow.addWidget(self.saveMappingButton)


        self.pageLayout.addLayout(self.savedRow)

        self.mappingTable = QTableView(ImportMappingPage)
        self.mappingTable.setObjectName(u"mappingTable")
        self.mappingTable.setTabKeyNavigation(True)
        self.mappingTable.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mappingTable.setWordWrap(False)
        self.mappingTable.verticalHeader().setVisible(False)

        self.pageLayout.addWidget(self.mappingTable)

        self.mappingWarningsLabel = QLabel(ImportMappingPage)
        self.mappingWarningsLabel.setObjectName(u"mappingWarningsLabel")
        self.mappingWarningsLabel.setVisible(False)

        self.pageLayout.addWidget(self.mappingWarningsLabel)

        self.mappingStatusLabel = QLabel(ImportMappingPage)
        self.mappingStatusLabel.setObjectName(u"mappingStatusLabel")
        self.mappingStatusLabel.setVisible(False)

        self.pageLayout.addWidget(self.mappingStatusLabel)

        self.pageLayout.setStretch(1, 1)
#if QT_CONFIG(shortcut)
        self.savedMappingLabel.setBuddy(self.savedMappingCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ImportMappingPage)

        QMetaObject.connectSlotsByName(ImportMappingPage)
    # setupUi

    def retranslateUi(self, ImportMappingPage):
        ImportMappingPage.setTitle(QCoreApplication.translate("ImportMappingPage", u"Say where each column goes", None))
        ImportMappingPage.setSubTitle(QCoreApplication.translate("ImportMappingPage", u"Suggested from the column names. Change what is wrong; save the mapping to use it again for the next file of this kind.", None))
        self.savedMappingLabel.setText(QCoreApplication.translate("ImportMappingPage", u"Apply a saved &mapping:", None))
        self.saveMappingButton.setText(QCoreApplication.translate("ImportMappingPage", u"S&ave mapping as\u2026", None))
    # retranslateUi

