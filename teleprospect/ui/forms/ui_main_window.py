# Generated from ui/main_window.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
## Created by: Qt User Interface Compiler
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QFrame,
    QHBoxLayout, QHeaderView, QLabel, QMainWindow,
    QMenu, QMenuBar, QPushButton, QSizePolicy,
    QSpacerItem, QStatusBar, QTabWidget, QTableView,
    QVBoxLayout, QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1200, 720)
        self.actionImportLeads = QAction(MainWindow)
        self.actionImportLeads.setObjectName(u"actionImportLeads")
        self.actionShowAllLeads = QAction(MainWindow)
        self.actionShowAllLeads.setObjectName(u"actionShowAllLeads")
        self.actionLoadDemo = QAction(MainWindow)
        self.actionLoadDemo.setObjectName(u"actionLoadDemo")
        self.actionQuit = QAction(MainWindow)
        self.actionQuit.setObjectName(u"actionQuit")
        self.actionQuit.setMenuRole(QAction.MenuRole.QuitRole)
        self.actionRefresh = QAction(MainWindow)
        self.actionRefresh.setObjectName(u"actionRefresh")
        self.actionNextLead = QAction(MainWindow)
        self.actionNextLead.setObjectName(u"actionNextLead")
        self.actionReleaseLead = QAction(MainWindow)
        self.actionReleaseLead.setObjectName(u"actionReleaseLead")
        self.actionAbout = QAction(MainWindow)
        self.actionAbout.setObjectName(u"actionAbout")
        self.actionAbout.setMenuRole(QAction.MenuRole.AboutRole)
        self.centralWidget = QWidget(MainWindow)
        self.centralWidget.setObjectName(u"centralWidget")
        self.centralLayout = QVBoxLayout(self.centralWidget)
        self.centralLayout.setSpacing(0)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(0, 0, 0, 0)
        self.mainTabs = QTabWidget(self.centralWidget)
        self.mainTabs.setObjectName(u"mainTabs")
        self.mainTabs.setDocumentMode(True)
        self.leadsTab = QWidget()
        self.leadsTab.setObjectName(u"leadsTab")
        self.leadsTabLayout = QVBoxLayout(self.leadsTab)
        self.leadsTabLayout.setSpacing(0)
        self.leadsTabLayout.setObjectName(u"leadsTabLayout")
        self.leadsTabLayout.setContentsMargins(0, 0, 0, 0)
        self.leadTable = QTableView(self.leadsTab)
        self.leadTable.setObjectName(u"leadTable")
        self.leadTable.setFrameShape(QFrame.Shape.NoFrame)
        self.leadTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.leadTable.setAlternatingRowColors(True)
        self.leadTable.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.leadTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.leadTable.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.leadTable.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.leadTable.setShowGrid(False)
        self.leadTable.setSortingEnabled(False)
        self.leadTable.setWordWrap(False)
        self.leadTable.setCornerButtonEnabled(False)
        self.leadTable.horizontalHeader().setHighlightSections(False)
        self.leadTable.horizontalHeader().setStretchLastSection(True)
        self.leadTable.verticalHeader().setVisible(False)

        self.leadsTabLayout.addWidget(self.leadTable)

        self.mainTabs.addTab(self.leadsTab, "")
        self.queueTab = QWidget()
        self.queueTab.setObjectName(u"queueTab")
        self.queueTabLayout = QVBoxLayout(self.queueTab)
        self.queueTabLayout.setSpacing(0)
        self.queueTabLayout.setObjectName(u"queueTabLayout")
        self.queueTabLayout.setContentsMargins(0, 0, 0, 0)
        self.queueControls = QWidget(self.queueTab)
        self.queueControls.setObjectName(u"queueControls")
        self.queueControlsLayout = QVBoxLayout(self.queueControls)
        self.queueControlsLayout.setSpacing(8)
        self.queueControlsLayout.setObjectName(u"queueControlsLayout")
        self.queueControlsLayout.setContentsMargins(10, 10, 10, 10)
        self.queueBarLayout = QHBoxLayout()
        self.queueBarLayout.setSpacing(6)
        self.queueBarLayout.setObjectName(u"queueBarLayout")
        self.nextLeadButton = QPushButton(self.queueControls)
        self.nextLeadButton.setObjectName(u"nextLeadButton")
        self.nextLeadButton.setMinimumSize(QSize(160, 44))

        self.queueBarLayout.addWidget(self.nextLeadButton)

        self.queueBarSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.queueBarLayout.addItem(self.queueBarSpacer)

        self.campaignFilterLabel = QLabel(self.queueControls)
        self.campaignFilterLabel.setObjectName(u"campaignFilterLabel")

        self.queueBarLayout.addWidget(self.campaignFilterLabel)

        self.campaignFilter = QComboBox(self.queueControls)
        self.campaignFilter.setObjectName(u"campaignFilter")
        self.campaignFilter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.campaignFilter.setMinimumContentsLength(14)

        self.queueBarLayout.addWidget(self.campaignFilter)

        self.statusFilterLabel = QLabel(self.queueControls)
        self.statusFilterLabel.setObjectName(u"statusFilterLabel")

        self.queueBarLayout.addWidget(self.statusFilterLabel)

        self.statusFilter = QComboBox(self.queueControls)
        self.statusFilter.setObjectName(u"statusFilter")
        self.statusFilter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.queueBarLayout.addWidget(self.statusFilter)

        self.gradeFilterLabel = QLabel(self.queueControls)
        self.gradeFilterLabel.setObjectName(u"gradeFilterLabel")

        self.queueBarLayout.addWidget(self.gradeFilterLabel)

        self.gradeFilter = QComboBox(self.queueControls)
        self.gradeFilter.setObjectName(u"gradeFilter")
        self.gradeFilter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.queueBarLayout.addWidget(self.gradeFilter)


        self.queueControlsLayout.addLayout(self.queueBarLayout)

        self.claimPanel = QFrame(self.queueControls)
        self.claimPanel.setObjectName(u"claimPanel")
        self.claimPanel.setFrameShape(QFrame.Shape.StyledPanel)
        self.claimPanelLayout = QHBoxLayout(self.claimPanel)
        self.claimPanelLayout.setSpacing(12)
        self.claimPanelLayout.setObjectName(u"claimPanelLayout")
        self.claimPanelLayout.setContentsMargins(10, 6, 6, 6)
        self.claimLabel = QLabel(self.claimPanel)
        self.claimLabel.setObjectName(u"claimLabel")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.claimLabel.sizePolicy().hasHeightForWidth())
        self.claimLabel.setSizePolicy(sizePolicy)
        self.claimLabel.setTextFormat(Qt.TextFormat.RichText)
        self.claimLabel.setWordWrap(True)
        self.claimLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.claimPanelLayout.addWidget(self.claimLabel)

        self.releaseButton = QPushButton(self.claimPanel)
        self.releaseButton.setObjectName(u"releaseButton")

        self.claimPanelLayout.addWidget(self.releaseButton)


        self.queueControlsLayout.addWidget(self.claimPanel)


        self.queueTabLayout.addWidget(self.queueControls)

        self.queueTable = QTableView(self.queueTab)
        self.queueTable.setObjectName(u"queueTable")
        self.queueTable.setFrameShape(QFrame.Shape.NoFrame)
        self.queueTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queueTable.setAlternatingRowColors(True)
        self.queueTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queueTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queueTable.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.queueTable.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.queueTable.setShowGrid(False)
        self.queueTable.setSortingEnabled(False)
        self.queueTable.setWordWrap(False)
        self.queueTable.setCornerButtonEnabled(False)
        self.queueTable.horizontalHeader().setHighlightSections(False)
        self.queueTable.horizontalHeader().setStretchLastSection(True)
        self.queueTable.verticalHeader().setVisible(False)

        self.queueTabLayout.addWidget(self.queueTable)

        self.mainTabs.addTab(self.queueTab, "")

        self.centralLayout.addWidget(self.mainTabs)

        MainWindow.setCentralWidget(self.centralWidget)
        self.menuBar = QMenuBar(MainWindow)
        self.menuBar.setObjectName(u"menuBar")
        self.menuBar.setGeometry(QRect(0, 0, 1200, 24))
        self.menuFile = QMenu(self.menuBar)
        self.menuFile.setObjectName(u"menuFile")
        self.menuView = QMenu(self.menuBar)
        self.menuView.setObjectName(u"menuView")
        self.menuQueue = QMenu(self.menuBar)
        self.menuQueue.setObjectName(u"menuQueue")
        self.menuHelp = QMenu(self.menuBar)
        self.menuHelp.setObjectName(u"menuHelp")
        MainWindow.setMenuBar(self.menuBar)
        self.statusBar = QStatusBar(MainWindow)
        self.statusBar.setObjectName(u"statusBar")
        MainWindow.setStatusBar(self.statusBar)
#if QT_CONFIG(shortcut)
        self.campaignFilterLabel.setBuddy(self.campaignFilter)
        self.statusFilterLabel.setBuddy(self.statusFilter)
        self.gradeFilterLabel.setBuddy(self.gradeFilter)
#endif // QT_CONFIG(shortcut)

        self.menuBar.addAction(self.menuFile.menuAction())
        self.menuBar.addAction(self.menuView.menuAction())
        self.menuBar.addAction(self.menuQueue.menuAction())
        self.menuBar.addAction(self.menuHelp.menuAction())
        self.menuFile.addAction(self.actionImportLeads)
        self.menuFile.addAction(self.actionLoadDemo)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionQuit)
        self.menuView.addAction(self.actionRefresh)
        self.menuView.addAction(self.actionShowAllLeads)
        self.menuQueue.addAction(self.actionNextLead)
        self.menuQueue.addAction(self.actionReleaseLead)
        self.menuHelp.addAction(self.actionAbout)

        self.retranslateUi(MainWindow)

        self.mainTabs.setCurrentIndex(0)
        self.nextLeadButton.setDefault(True)


        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"Teleprospect", None))
        self.actionImportLeads.setText(QCoreApplication.translate("MainWindow", u"&Import leads\u2026", None))
#if QT_CONFIG(tooltip)
        self.actionImportLeads.setToolTip(QCoreApplication.translate("MainWindow", u"Import leads from a CSV file (you can also drop the file on the window)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionImportLeads.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+I", None))
#endif // QT_CONFIG(shortcut)
        self.actionShowAllLeads.setText(QCoreApplication.translate("MainWindow", u"Show &all leads", None))
#if QT_CONFIG(shortcut)
        self.actionShowAllLeads.setShortcut(QCoreApplication.translate("MainWindow", u"Esc", None))
#endif // QT_CONFIG(shortcut)
        self.actionLoadDemo.setText(QCoreApplication.translate("MainWindow", u"Load &demo data\u2026", None))
#if QT_CONFIG(tooltip)
        self.actionLoadDemo.setToolTip(QCoreApplication.translate("MainWindow", u"Add a realistic set of demo users, campaigns and leads to this database", None))
#endif // QT_CONFIG(tooltip)
        self.actionQuit.setText(QCoreApplication.translate("MainWindow", u"&Quit", None))
#if QT_CONFIG(shortcut)
        self.actionQuit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Q", None))
#endif // QT_CONFIG(shortcut)
        self.actionRefresh.setText(QCoreApplication.translate("MainWindow", u"&Refresh", None))
#if QT_CONFIG(tooltip)
        self.actionRefresh.setToolTip(QCoreApplication.translate("MainWindow", u"Read the leads again from the database (F5)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionRefresh.setShortcut(QCoreApplication.translate("MainWindow", u"F5", None))
#endif // QT_CONFIG(shortcut)
        self.actionNextLead.setText(QCoreApplication.translate("MainWindow", u"&Next lead", None))
#if QT_CONFIG(tooltip)
        self.actionNextLead.setToolTip(QCoreApplication.translate("MainWindow", u"Claim the top lead of your queue (Ctrl+N)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionNextLead.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+N", None))
#endif // QT_CONFIG(shortcut)
        self.actionReleaseLead.setText(QCoreApplication.translate("MainWindow", u"&Release lead", None))
#if QT_CONFIG(tooltip)
        self.actionReleaseLead.setToolTip(QCoreApplication.translate("MainWindow", u"Give the lead you hold back to the queue", None))
#endif // QT_CONFIG(tooltip)
        self.actionAbout.setText(QCoreApplication.translate("MainWindow", u"&About Teleprospect", None))
#if QT_CONFIG(accessibility)
        self.leadTable.setAccessibleName(QCoreApplication.translate("MainWindow", u"Leads", None))
#endif // QT_CONFIG(accessibility)
        self.mainTabs.setTabText(self.mainTabs.indexOf(self.leadsTab), QCoreApplication.translate("MainWindow", u"&Leads", None))
#if QT_CONFIG(tooltip)
        self.mainTabs.setTabToolTip(self.mainTabs.indexOf(self.leadsTab), QCoreApplication.translate("MainWindow", u"Every lead in the database", None))
#endif // QT_CONFIG(tooltip)
        self.nextLeadButton.setText(QCoreApplication.translate("MainWindow", u"Next lead", None))
        self.campaignFilterLabel.setText(QCoreApplication.translate("MainWindow", u"&Campaign:", None))
#if QT_CONFIG(accessibility)
        self.campaignFilter.setAccessibleName(QCoreApplication.translate("MainWindow", u"Campaign filter", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.campaignFilter.setToolTip(QCoreApplication.translate("MainWindow", u"Show only the leads of one campaign", None))
#endif // QT_CONFIG(tooltip)
        self.statusFilterLabel.setText(QCoreApplication.translate("MainWindow", u"S&tatus:", None))
#if QT_CONFIG(accessibility)
        self.statusFilter.setAccessibleName(QCoreApplication.translate("MainWindow", u"Status filter", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.statusFilter.setToolTip(QCoreApplication.translate("MainWindow", u"Show only the leads in one status", None))
#endif // QT_CONFIG(tooltip)
        self.gradeFilterLabel.setText(QCoreApplication.translate("MainWindow", u"&Grade:", None))
#if QT_CONFIG(accessibility)
        self.gradeFilter.setAccessibleName(QCoreApplication.translate("MainWindow", u"Grade filter", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.gradeFilter.setToolTip(QCoreApplication.translate("MainWindow", u"Show only the leads of one grade", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(tooltip)
        self.releaseButton.setToolTip(QCoreApplication.translate("MainWindow", u"Give the lead back to the queue for someone else to call", None))
#endif // QT_CONFIG(tooltip)
        self.releaseButton.setText(QCoreApplication.translate("MainWindow", u"&Release", None))
#if QT_CONFIG(accessibility)
        self.queueTable.setAccessibleName(QCoreApplication.translate("MainWindow", u"Queue", None))
#endif // QT_CONFIG(accessibility)
        self.mainTabs.setTabText(self.mainTabs.indexOf(self.queueTab), QCoreApplication.translate("MainWindow", u"&Queue", None))
#if QT_CONFIG(tooltip)
        self.mainTabs.setTabToolTip(self.mainTabs.indexOf(self.queueTab), QCoreApplication.translate("MainWindow", u"The leads to call now, in order, each with why it is there", None))
#endif // QT_CONFIG(tooltip)
        self.menuFile.setTitle(QCoreApplication.translate("MainWindow", u"&File", None))
        self.menuView.setTitle(QCoreApplication.translate("MainWindow", u"&View", None))
        self.menuQueue.setTitle(QCoreApplication.translate("MainWindow", u"&Queue", None))
        self.menuHelp.setTitle(QCoreApplication.translate("MainWindow", u"&Help", None))
    # retranslateUi

